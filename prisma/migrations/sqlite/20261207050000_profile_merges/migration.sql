-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "phoneVerifiedAt" DATETIME;

-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "verifiedAt" DATETIME;

-- CreateTable
CREATE TABLE "Merge" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER NOT NULL,
    "targetId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "moved" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Merge_sourceId_idx" ON "Merge"("sourceId");

-- CreateIndex
CREATE INDEX "Merge_targetId_idx" ON "Merge"("targetId");
