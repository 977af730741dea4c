-- CreateTable
CREATE TABLE "ProgramRecordShare" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "programId" INTEGER NOT NULL,
    "uuid" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ProgramRecordShare_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ProgramRecordShare_uuid_key" ON "ProgramRecordShare"("uuid");

-- CreateIndex
CREATE UNIQUE INDEX "ProgramRecordShare_siteId_username_programId_key" ON "ProgramRecordShare"("siteId", "username", "programId");

