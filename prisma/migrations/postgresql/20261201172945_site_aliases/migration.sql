-- CreateTable
CREATE TABLE "SiteAlias" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SiteAlias_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SiteAlias_domain_key" ON "SiteAlias"("domain");

-- CreateIndex
CREATE INDEX "SiteAlias_siteId_idx" ON "SiteAlias"("siteId");

-- AddForeignKey
ALTER TABLE "SiteAlias" ADD CONSTRAINT "SiteAlias_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

