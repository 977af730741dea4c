-- AlterTable
ALTER TABLE "CredentialEvent" ADD COLUMN "dispatchedAt" DATETIME;

-- CreateTable
CREATE TABLE "SiteNotificationSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "emailEnabled" BOOLEAN NOT NULL DEFAULT true,
    "emailSubject" TEXT NOT NULL DEFAULT '',
    "emailTemplate" TEXT NOT NULL DEFAULT '',
    "smtpUrl" TEXT NOT NULL DEFAULT '',
    "publicBaseUrl" TEXT NOT NULL DEFAULT '',
    "allowPrivateWebhooks" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SiteNotificationSettings_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookSubscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "eventTypes" TEXT NOT NULL DEFAULT '[]',
    "secret" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "WebhookSubscription_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "siteId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "credentialId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "subscriptionId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "retryUntil" DATETIME NOT NULL,
    "lastAttemptAt" DATETIME,
    "lastError" TEXT,
    "lastStatusCode" INTEGER,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Delivery_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "CredentialEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "WebhookSubscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SiteNotificationSettings_siteId_key" ON "SiteNotificationSettings"("siteId");

-- CreateIndex
CREATE INDEX "WebhookSubscription_siteId_id_idx" ON "WebhookSubscription"("siteId", "id");

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_id_idx" ON "Delivery"("status", "nextAttemptAt", "id");

-- CreateIndex
CREATE INDEX "Delivery_siteId_channel_status_idx" ON "Delivery"("siteId", "channel", "status");

-- CreateIndex
CREATE INDEX "Delivery_subscriptionId_credentialId_id_idx" ON "Delivery"("subscriptionId", "credentialId", "id");

-- CreateIndex
CREATE INDEX "Delivery_eventId_idx" ON "Delivery"("eventId");

-- CreateIndex
CREATE INDEX "CredentialEvent_dispatchedAt_id_idx" ON "CredentialEvent"("dispatchedAt", "id");


-- Events written before the outbox existed were never meant to be delivered (no email for past awards).
UPDATE "CredentialEvent" SET "dispatchedAt" = "createdAt" WHERE "dispatchedAt" IS NULL;
