-- CreateTable
CREATE TABLE "BindingCode" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BindingCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BindingAttempt" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BindingAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BindingCode_codeHash_idx" ON "BindingCode"("codeHash");

-- CreateIndex
CREATE INDEX "BindingCode_customerId_createdAt_idx" ON "BindingCode"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "BindingAttempt_customerId_createdAt_idx" ON "BindingAttempt"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "BindingAttempt_createdAt_idx" ON "BindingAttempt"("createdAt");
