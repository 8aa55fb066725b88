module leaks/abandonedsendtimeout

go 1.21
