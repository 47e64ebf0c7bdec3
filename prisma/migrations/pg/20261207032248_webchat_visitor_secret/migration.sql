-- CreateTable
CREATE TABLE "WebchatVisitor" (
    "visitorId" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebchatVisitor_pkey" PRIMARY KEY ("visitorId")
);

-- CreateTable
CREATE TABLE "WebchatStreamTicket" (
    "ticketHash" TEXT NOT NULL,
    "visitorId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebchatStreamTicket_pkey" PRIMARY KEY ("ticketHash")
);

-- CreateIndex
CREATE INDEX "WebchatStreamTicket_expiresAt_idx" ON "WebchatStreamTicket"("expiresAt");
