/* PLACEHOLDER: to be filled by the sample engineer (issue 3). */
