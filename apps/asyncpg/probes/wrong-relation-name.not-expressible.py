"""Raw SQL has no relations to name: a join is written out in the SQL string, where a wrong table
is the misspelt-column probe again."""
