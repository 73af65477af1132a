"""Privacy duties: the record of processing, erasing identities after the retention period,
rotating the identity key."""
