var libValue = "from importScripts";
