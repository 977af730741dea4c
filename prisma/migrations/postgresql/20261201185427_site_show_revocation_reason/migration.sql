-- AlterTable
ALTER TABLE "SiteConfiguration" ADD COLUMN     "showRevocationReason" BOOLEAN NOT NULL DEFAULT false;

