-- CreateTable
CREATE TABLE "SiteSignIn" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SiteSignIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInSession" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "idHash" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "roles" TEXT NOT NULL DEFAULT '[]',
    "method" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "SignInSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginLink" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "LoginLink_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "SiteSignIn" ADD CONSTRAINT "SiteSignIn_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignInSession" ADD CONSTRAINT "SignInSession_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoginLink" ADD CONSTRAINT "LoginLink_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

