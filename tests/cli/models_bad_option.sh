jetsam models --bogus
