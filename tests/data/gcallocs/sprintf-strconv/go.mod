module gcallocs/sprintfstrconv

go 1.22
