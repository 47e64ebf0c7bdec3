-- CreateTable
CREATE TABLE "WebchatVisitor" (
    "visitorId" TEXT NOT NULL PRIMARY KEY,
    "secretHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebchatStreamTicket" (
    "ticketHash" TEXT NOT NULL PRIMARY KEY,
    "visitorId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "WebchatStreamTicket_expiresAt_idx" ON "WebchatStreamTicket"("expiresAt");
