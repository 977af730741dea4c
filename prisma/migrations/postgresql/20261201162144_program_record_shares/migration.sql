-- CreateTable
CREATE TABLE "ProgramRecordShare" (
    "id" SERIAL NOT NULL,
    "siteId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "programId" INTEGER NOT NULL,
    "uuid" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProgramRecordShare_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProgramRecordShare_uuid_key" ON "ProgramRecordShare"("uuid");

-- CreateIndex
CREATE UNIQUE INDEX "ProgramRecordShare_siteId_username_programId_key" ON "ProgramRecordShare"("siteId", "username", "programId");

-- AddForeignKey
ALTER TABLE "ProgramRecordShare" ADD CONSTRAINT "ProgramRecordShare_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

