-- CreateIndex
CREATE INDEX "Delivery_campaignId_status_reason_idx" ON "Delivery"("campaignId", "status", "reason");
