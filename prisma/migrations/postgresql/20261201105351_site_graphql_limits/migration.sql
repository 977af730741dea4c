-- AlterTable
ALTER TABLE "SiteConfiguration" ADD COLUMN     "graphqlMaxAliases" INTEGER,
ADD COLUMN     "graphqlMaxCost" INTEGER,
ADD COLUMN     "graphqlMaxDepth" INTEGER,
ADD COLUMN     "graphqlMaxDirectives" INTEGER,
ADD COLUMN     "graphqlMaxDocumentBytes" INTEGER,
ADD COLUMN     "graphqlMaxTokens" INTEGER;

