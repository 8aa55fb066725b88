module gcallocs/stringsbuilder

go 1.22
