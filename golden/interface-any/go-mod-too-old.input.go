package old

func Print(v interface{}) {}
