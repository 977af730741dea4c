-- AlterTable
ALTER TABLE "User" ADD COLUMN "lmsUserId" INTEGER;

-- AlterTable
ALTER TABLE "Signatory" ADD COLUMN "imageUrl" TEXT;

-- AlterTable
ALTER TABLE "UserCredential" ADD COLUMN "dateOverride" DATETIME;

-- CreateTable
CREATE TABLE "UserGrade" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "courseRunKey" TEXT NOT NULL,
    "letterGrade" TEXT NOT NULL DEFAULT '',
    "percentGrade" REAL NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "lmsLastUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "UserGrade_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ProgramCertificate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "programId" INTEGER NOT NULL,
    "programUuid" TEXT,
    "templateId" INTEGER,
    "title" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "language" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProgramCertificate_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProgramCertificate_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "CertificateTemplate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ProgramCertificate" ("createdAt", "id", "isActive", "language", "programId", "programUuid", "siteId", "templateId", "title", "updatedAt") SELECT "createdAt", "id", "isActive", "language", "programId", "programUuid", "siteId", "templateId", "title", "updatedAt" FROM "ProgramCertificate";
DROP TABLE "ProgramCertificate";
ALTER TABLE "new_ProgramCertificate" RENAME TO "ProgramCertificate";
CREATE INDEX "ProgramCertificate_templateId_idx" ON "ProgramCertificate"("templateId");
CREATE UNIQUE INDEX "ProgramCertificate_siteId_programId_key" ON "ProgramCertificate"("siteId", "programId");
CREATE UNIQUE INDEX "ProgramCertificate_siteId_programUuid_key" ON "ProgramCertificate"("siteId", "programUuid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "UserGrade_siteId_courseRunKey_idx" ON "UserGrade"("siteId", "courseRunKey");

-- CreateIndex
CREATE UNIQUE INDEX "UserGrade_siteId_username_courseRunKey_key" ON "UserGrade"("siteId", "username", "courseRunKey");

-- CreateIndex
CREATE INDEX "User_siteId_lmsUserId_idx" ON "User"("siteId", "lmsUserId");

