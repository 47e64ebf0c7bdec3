-- CreateTable
CREATE TABLE "SyncCursor" (
    "channel" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("channel","account")
);
