-- CreateTable
CREATE TABLE "SyncCursor" (
    "channel" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("channel", "account")
);
