-- CreateTable
CREATE TABLE "WecomContactWay" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "configId" TEXT NOT NULL,
    "qrCode" TEXT NOT NULL,
    "staffUserIds" JSONB NOT NULL,
    "welcomeText" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WecomContactWay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WecomContact" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "staffUserId" TEXT NOT NULL,
    "state" TEXT,
    "contactWayId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'active',
    "lostReason" TEXT,
    "addedAt" TIMESTAMP(3) NOT NULL,
    "lostAt" TIMESTAMP(3),
    "welcomeSentAt" TIMESTAMP(3),

    CONSTRAINT "WecomContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WecomGroupSend" (
    "id" SERIAL NOT NULL,
    "deliveryId" INTEGER NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "staffUserId" TEXT NOT NULL,
    "externalUserId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "msgid" TEXT,
    "detail" TEXT,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WecomGroupSend_pkey" PRIMARY KEY ("id")
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
