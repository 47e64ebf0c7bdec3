-- Data only: survey recovery cases used to log the profile event `case.created`; every case kind now
-- opens through CaseService.open and logs `case.opened` with its `caseType`. Rename the stored events.
UPDATE "Interaction"
SET "payload" = json_set("payload", '$.type', 'case.opened', '$.caseType', 'recovery')
WHERE json_extract("payload", '$.type') = 'case.created';
