-- CreateTable
CREATE TABLE "BindingCode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "BindingAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "BindingCode_codeHash_idx" ON "BindingCode"("codeHash");

-- CreateIndex
CREATE INDEX "BindingCode_customerId_createdAt_idx" ON "BindingCode"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "BindingAttempt_customerId_createdAt_idx" ON "BindingAttempt"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "BindingAttempt_createdAt_idx" ON "BindingAttempt"("createdAt");
