// PolicyAnalysis module
