module leaks/locknotreleasedvoid

go 1.21
