module leaks/abandonedsendctx

go 1.21
