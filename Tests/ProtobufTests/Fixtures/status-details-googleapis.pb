 user 42 not found âœ— (50% sure)‡
)type.googleapis.com/google.rpc.BadRequestZ
?
idmust be positive
INVALID_ID"
fr-FRdoit Ãªtre positif

emailnot an address`
(type.googleapis.com/google.rpc.ErrorInfo4
USER_MISSINGecho.example

user42

shard76
(type.googleapis.com/google.rpc.RetryInfo

€ÊµîK
(type.googleapis.com/google.rpc.DebugInfo
find()
main()lookup failedI
+type.googleapis.com/google.rpc.QuotaFailure

	project:7daily limitZ
2type.googleapis.com/google.rpc.PreconditionFailure$
"
TOSuser:42terms not acceptedR
+type.googleapis.com/google.rpc.ResourceInfo#
userusers/42team-a"	not foundI
#type.googleapis.com/google.rpc.Help"
 
docshttps://example.com/helpQ
/type.googleapis.com/google.rpc.LocalizedMessage
en-USUser 42 was not found;
*type.googleapis.com/google.rpc.RequestInfo
r-9node-3