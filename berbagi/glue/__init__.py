"""The Pelican side of the kit, the only part of `berbagi` that imports Pelican: the core every
plugin switches on (class files into the schedule), the theme's helpers, and the build runner."""
