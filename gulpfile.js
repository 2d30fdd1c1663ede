const path = require('path');
const { task, src, dest } = require('gulp');

// tsc emits only JavaScript; n8n also needs the icons, at the same paths relative to the compiled node
// and credential as in the source tree (icons/ at the root, shared by both).
task('build:icons', () =>
	src(['icons/**/*.{png,svg}', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		encoding: false,
		allowEmpty: true,
	}).pipe(dest((file) => path.resolve('dist', path.relative(process.cwd(), file.base)))),
);
