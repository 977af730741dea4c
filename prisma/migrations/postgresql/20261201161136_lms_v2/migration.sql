-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lmsUserId" INTEGER;

-- AlterTable
ALTER TABLE "Signatory" ADD COLUMN     "imageUrl" TEXT;

-- AlterTable
ALTER TABLE "ProgramCertificate" ALTER COLUMN "programUuid" DROP NOT NULL;

-- AlterTable
ALTER TABLE "UserCredential" ADD COLUMN     "dateOverride" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "UserGrade" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "courseRunKey" TEXT NOT NULL,
    "letterGrade" TEXT NOT NULL DEFAULT '',
    "percentGrade" DOUBLE PRECISION NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "lmsLastUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserGrade_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UserGrade_siteId_courseRunKey_idx" ON "UserGrade"("siteId", "courseRunKey");

-- CreateIndex
CREATE UNIQUE INDEX "UserGrade_siteId_username_courseRunKey_key" ON "UserGrade"("siteId", "username", "courseRunKey");

-- CreateIndex
CREATE INDEX "User_siteId_lmsUserId_idx" ON "User"("siteId", "lmsUserId");

-- AddForeignKey
ALTER TABLE "UserGrade" ADD CONSTRAINT "UserGrade_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

