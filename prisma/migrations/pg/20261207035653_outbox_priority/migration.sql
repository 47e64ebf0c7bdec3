-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_status_priority_id_idx" ON "OutboxMessage"("channel", "status", "priority", "id");

-- Rows already queued keep their place by kind: bulk sends after conversational ones.
UPDATE "OutboxMessage" SET "priority" = 1 WHERE "purpose" IN ('campaign', 'notification', 'survey');
