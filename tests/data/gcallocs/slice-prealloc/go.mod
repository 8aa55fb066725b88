module gcallocs/sliceprealloc

go 1.22
