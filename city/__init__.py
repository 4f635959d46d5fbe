"""A district or a city: many street runs at once on Dask, gathered into one city result.

Streets are the unit of the work (each street's data and teams are its own), so a
city run is the street run, many times in parallel, plus what only the city level
sees: every street side by side.  Its own folder because it is orchestration over
the core (a scheduler, a gathered store, a city page), not an analysis of a street.
"""
