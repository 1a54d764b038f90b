@echo off
rem reservoir.cmd: the command line of the installed Reservoir on Windows, on the app runtime (no
rem Node.js needed): reservoir worklist --db FILE, reservoir report ..., reservoir --help. It runs
rem with no window and exits with the status of the command (0 done, 1 refused, 2 bad usage). In
rem the app it is resources\bin\reservoir.cmd; add that folder to PATH (README.md, "The installed
rem command line").
"%~dp0..\..\Reservoir.exe" --cli %*
exit /b %ERRORLEVEL%
