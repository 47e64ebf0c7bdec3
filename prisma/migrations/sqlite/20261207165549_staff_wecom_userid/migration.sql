-- AlterTable
ALTER TABLE "Staff" ADD COLUMN "wecomUserId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Staff_wecomUserId_key" ON "Staff"("wecomUserId");
