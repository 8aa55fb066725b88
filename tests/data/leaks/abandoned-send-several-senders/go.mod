module leaks/abandonedsendseveral

go 1.21
