-- CreateTable
CREATE TABLE "WecomContactWay" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "configId" TEXT NOT NULL,
    "qrCode" TEXT NOT NULL,
    "staffUserIds" JSONB NOT NULL,
    "welcomeText" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WecomContact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" INTEGER NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "staffUserId" TEXT NOT NULL,
    "state" TEXT,
    "contactWayId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'active',
    "lostReason" TEXT,
    "addedAt" DATETIME NOT NULL,
    "lostAt" DATETIME,
    "welcomeSentAt" DATETIME
);

-- CreateTable
CREATE TABLE "WecomGroupSend" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deliveryId" INTEGER NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "staffUserId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "msgid" TEXT,
    "detail" TEXT,
    "submittedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "WecomContactWay_state_key" ON "WecomContactWay"("state");

-- CreateIndex
CREATE INDEX "WecomContact_customerId_idx" ON "WecomContact"("customerId");

-- CreateIndex
CREATE INDEX "WecomContact_contactWayId_idx" ON "WecomContact"("contactWayId");

-- CreateIndex
CREATE UNIQUE INDEX "WecomContact_externalUserId_staffUserId_key" ON "WecomContact"("externalUserId", "staffUserId");

-- CreateIndex
CREATE UNIQUE INDEX "WecomGroupSend_deliveryId_key" ON "WecomGroupSend"("deliveryId");

-- CreateIndex
CREATE INDEX "WecomGroupSend_status_idx" ON "WecomGroupSend"("status");

-- CreateIndex
CREATE INDEX "WecomGroupSend_msgid_idx" ON "WecomGroupSend"("msgid");
