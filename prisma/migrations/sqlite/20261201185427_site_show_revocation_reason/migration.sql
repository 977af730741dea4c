-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SiteConfiguration" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "platformName" TEXT NOT NULL DEFAULT '',
    "lmsUrl" TEXT NOT NULL DEFAULT '',
    "logoUrl" TEXT NOT NULL DEFAULT '',
    "copyrightText" TEXT NOT NULL DEFAULT '',
    "primaryColor" TEXT NOT NULL DEFAULT '#1f3a5f',
    "secondaryColor" TEXT NOT NULL DEFAULT '#b08d57',
    "language" TEXT NOT NULL DEFAULT 'en',
    "emailFrom" TEXT NOT NULL DEFAULT '',
    "twitterHandle" TEXT NOT NULL DEFAULT '',
    "facebookAppId" TEXT NOT NULL DEFAULT '',
    "shareOnLinkedin" BOOLEAN NOT NULL DEFAULT true,
    "shareOnFacebook" BOOLEAN NOT NULL DEFAULT true,
    "shareOnTwitter" BOOLEAN NOT NULL DEFAULT true,
    "showRevocationReason" BOOLEAN NOT NULL DEFAULT false,
    "jwtIssuer" TEXT NOT NULL DEFAULT '',
    "jwtAudience" TEXT NOT NULL DEFAULT '',
    "jwtHmacSecret" TEXT NOT NULL DEFAULT '',
    "jwtJwks" TEXT NOT NULL DEFAULT '',
    "jwtJwksUrl" TEXT NOT NULL DEFAULT '',
    "jwtAlgorithms" TEXT NOT NULL DEFAULT 'HS256',
    "graphqlMaxDocumentBytes" INTEGER,
    "graphqlMaxTokens" INTEGER,
    "graphqlMaxDepth" INTEGER,
    "graphqlMaxAliases" INTEGER,
    "graphqlMaxDirectives" INTEGER,
    "graphqlMaxCost" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SiteConfiguration_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_SiteConfiguration" ("copyrightText", "createdAt", "emailFrom", "facebookAppId", "graphqlMaxAliases", "graphqlMaxCost", "graphqlMaxDepth", "graphqlMaxDirectives", "graphqlMaxDocumentBytes", "graphqlMaxTokens", "id", "jwtAlgorithms", "jwtAudience", "jwtHmacSecret", "jwtIssuer", "jwtJwks", "jwtJwksUrl", "language", "lmsUrl", "logoUrl", "platformName", "primaryColor", "secondaryColor", "shareOnFacebook", "shareOnLinkedin", "shareOnTwitter", "siteId", "twitterHandle", "updatedAt") SELECT "copyrightText", "createdAt", "emailFrom", "facebookAppId", "graphqlMaxAliases", "graphqlMaxCost", "graphqlMaxDepth", "graphqlMaxDirectives", "graphqlMaxDocumentBytes", "graphqlMaxTokens", "id", "jwtAlgorithms", "jwtAudience", "jwtHmacSecret", "jwtIssuer", "jwtJwks", "jwtJwksUrl", "language", "lmsUrl", "logoUrl", "platformName", "primaryColor", "secondaryColor", "shareOnFacebook", "shareOnLinkedin", "shareOnTwitter", "siteId", "twitterHandle", "updatedAt" FROM "SiteConfiguration";
DROP TABLE "SiteConfiguration";
ALTER TABLE "new_SiteConfiguration" RENAME TO "SiteConfiguration";
CREATE UNIQUE INDEX "SiteConfiguration_siteId_key" ON "SiteConfiguration"("siteId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

