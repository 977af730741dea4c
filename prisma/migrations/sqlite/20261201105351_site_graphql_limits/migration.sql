-- AlterTable
ALTER TABLE "SiteConfiguration" ADD COLUMN "graphqlMaxAliases" INTEGER;
ALTER TABLE "SiteConfiguration" ADD COLUMN "graphqlMaxCost" INTEGER;
ALTER TABLE "SiteConfiguration" ADD COLUMN "graphqlMaxDepth" INTEGER;
ALTER TABLE "SiteConfiguration" ADD COLUMN "graphqlMaxDirectives" INTEGER;
ALTER TABLE "SiteConfiguration" ADD COLUMN "graphqlMaxDocumentBytes" INTEGER;
ALTER TABLE "SiteConfiguration" ADD COLUMN "graphqlMaxTokens" INTEGER;

