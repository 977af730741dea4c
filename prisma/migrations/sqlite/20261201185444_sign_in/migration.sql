-- CreateTable
CREATE TABLE "SiteSignIn" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "sessionKey" TEXT NOT NULL DEFAULT '',
    "oidcEnabled" BOOLEAN NOT NULL DEFAULT false,
    "oidcIssuer" TEXT NOT NULL DEFAULT '',
    "oidcClientId" TEXT NOT NULL DEFAULT '',
    "oidcClientSecret" TEXT NOT NULL DEFAULT '',
    "oidcScope" TEXT NOT NULL DEFAULT 'openid profile email',
    "oidcAuthorizationEndpoint" TEXT NOT NULL DEFAULT '',
    "oidcTokenEndpoint" TEXT NOT NULL DEFAULT '',
    "oidcJwksUri" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SiteSignIn_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SignInSession" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "idHash" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "roles" TEXT NOT NULL DEFAULT '[]',
    "method" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    CONSTRAINT "SignInSession_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginLink" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "LoginLink_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SiteSignIn_siteId_key" ON "SiteSignIn"("siteId");

-- CreateIndex
CREATE UNIQUE INDEX "SignInSession_idHash_key" ON "SignInSession"("idHash");

-- CreateIndex
CREATE INDEX "SignInSession_siteId_username_idx" ON "SignInSession"("siteId", "username");

-- CreateIndex
CREATE UNIQUE INDEX "LoginLink_tokenHash_key" ON "LoginLink"("tokenHash");

-- CreateIndex
CREATE INDEX "LoginLink_siteId_idx" ON "LoginLink"("siteId");

