-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "chatExternalId" TEXT NOT NULL,
    "customerId" INTEGER,
    "conversationId" INTEGER,
    "purpose" TEXT NOT NULL DEFAULT 'reply',
    "sourceKey" TEXT,
    "text" TEXT NOT NULL,
    "buttons" JSONB,
    "meta" JSONB,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "notBefore" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedAt" DATETIME,
    "claimedBy" TEXT,
    "sentAt" DATETIME,
    "externalId" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_OutboxMessage" ("attempts", "buttons", "channel", "chatExternalId", "claimedAt", "claimedBy", "conversationId", "createdAt", "customerId", "error", "externalId", "id", "meta", "notBefore", "purpose", "sentAt", "sourceKey", "status", "text") SELECT "attempts", "buttons", "channel", "chatExternalId", "claimedAt", "claimedBy", "conversationId", "createdAt", "customerId", "error", "externalId", "id", "meta", "notBefore", "purpose", "sentAt", "sourceKey", "status", "text" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE INDEX "OutboxMessage_status_channel_notBefore_idx" ON "OutboxMessage"("status", "channel", "notBefore");
CREATE INDEX "OutboxMessage_channel_status_priority_id_idx" ON "OutboxMessage"("channel", "status", "priority", "id");
CREATE INDEX "OutboxMessage_sourceKey_idx" ON "OutboxMessage"("sourceKey");
CREATE INDEX "OutboxMessage_channel_chatExternalId_id_idx" ON "OutboxMessage"("channel", "chatExternalId", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Rows already queued keep their place by kind: bulk sends after conversational ones.
UPDATE "OutboxMessage" SET "priority" = 1 WHERE "purpose" IN ('campaign', 'notification', 'survey');
