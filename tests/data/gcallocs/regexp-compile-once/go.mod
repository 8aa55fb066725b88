module gcallocs/regexpcompileonce

go 1.22
