-- AlterTable
ALTER TABLE "SiteConfiguration" ADD COLUMN     "jwtAlgorithms" TEXT NOT NULL DEFAULT 'HS256',
ADD COLUMN     "jwtAudience" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "jwtHmacSecret" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "jwtIssuer" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "jwtJwks" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "jwtJwksUrl" TEXT NOT NULL DEFAULT '';

