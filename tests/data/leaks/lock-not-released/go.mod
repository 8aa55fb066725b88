module leaks/locknotreleased

go 1.21
