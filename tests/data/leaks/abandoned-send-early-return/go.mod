module leaks/abandonedsendreturn

go 1.21
