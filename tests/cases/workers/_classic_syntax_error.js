// A classic script that does not parse.
var x = ;
