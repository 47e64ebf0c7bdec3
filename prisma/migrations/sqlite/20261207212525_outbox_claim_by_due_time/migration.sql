-- DropIndex
DROP INDEX "OutboxMessage_channel_status_priority_id_idx";

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_status_priority_notBefore_id_idx" ON "OutboxMessage"("channel", "status", "priority", "notBefore", "id");
