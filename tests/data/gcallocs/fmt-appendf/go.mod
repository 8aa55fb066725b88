module gcallocs/fmtappendf

go 1.22
