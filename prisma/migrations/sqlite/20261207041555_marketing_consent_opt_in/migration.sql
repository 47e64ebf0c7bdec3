-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Customer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "locale" TEXT,
    "birthday" TEXT,
    "tier" TEXT NOT NULL DEFAULT 'normal',
    "tierSince" DATETIME,
    "pointsBalance" INTEGER NOT NULL DEFAULT 0,
    "lifecycleStage" TEXT NOT NULL DEFAULT 'prospect',
    "marketingOptIn" BOOLEAN NOT NULL DEFAULT false,
    "marketingOptOutAt" DATETIME,
    "orderNotifications" BOOLEAN NOT NULL DEFAULT true,
    "attributes" JSONB,
    "referralCode" TEXT,
    "referredById" INTEGER,
    "totalSpent" INTEGER NOT NULL DEFAULT 0,
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "firstOrderAt" DATETIME,
    "lastOrderAt" DATETIME,
    "rfmRecency" INTEGER,
    "rfmFrequency" INTEGER,
    "rfmMonetary" INTEGER,
    "rfmSegment" TEXT,
    "lifetimeValue" INTEGER,
    "churnRisk" REAL,
    "churnReasons" JSONB,
    "analyticsAt" DATETIME,
    "mergedIntoId" INTEGER,
    "erasedAt" DATETIME,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "localeSource" TEXT,
    "languageStreak" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_Customer" ("analyticsAt", "attributes", "birthday", "churnReasons", "churnRisk", "createdAt", "email", "erasedAt", "firstOrderAt", "firstSeenAt", "id", "languageStreak", "lastOrderAt", "lastSeenAt", "lifecycleStage", "lifetimeValue", "locale", "localeSource", "marketingOptIn", "marketingOptOutAt", "mergedIntoId", "name", "orderCount", "orderNotifications", "phone", "pointsBalance", "referralCode", "referredById", "rfmFrequency", "rfmMonetary", "rfmRecency", "rfmSegment", "tier", "tierSince", "totalSpent", "updatedAt") SELECT "analyticsAt", "attributes", "birthday", "churnReasons", "churnRisk", "createdAt", "email", "erasedAt", "firstOrderAt", "firstSeenAt", "id", "languageStreak", "lastOrderAt", "lastSeenAt", "lifecycleStage", "lifetimeValue", "locale", "localeSource", "marketingOptIn", "marketingOptOutAt", "mergedIntoId", "name", "orderCount", "orderNotifications", "phone", "pointsBalance", "referralCode", "referredById", "rfmFrequency", "rfmMonetary", "rfmRecency", "rfmSegment", "tier", "tierSince", "totalSpent", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE UNIQUE INDEX "Customer_referralCode_key" ON "Customer"("referralCode");
CREATE INDEX "Customer_lifecycleStage_idx" ON "Customer"("lifecycleStage");
CREATE INDEX "Customer_rfmSegment_idx" ON "Customer"("rfmSegment");
CREATE INDEX "Customer_mergedIntoId_idx" ON "Customer"("mergedIntoId");
CREATE INDEX "Customer_phone_idx" ON "Customer"("phone");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
