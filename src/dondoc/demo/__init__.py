"""The demonstration `make run` sets up: demo users and the seed letter published. Project level: it uses
every app, and no app uses it."""
