module gcallocs/sprintfstring

go 1.22
