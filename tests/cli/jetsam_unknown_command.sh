jetsam frobnicate
