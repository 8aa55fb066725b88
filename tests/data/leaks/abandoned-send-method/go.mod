module leaks/abandonedsendmethod

go 1.21
